import { downloadPlugin } from "./download";
import { requestPlugin } from "./request";
import { httpTriggerPlugin } from "./trigger";

export const httpPlugins = [requestPlugin, downloadPlugin, httpTriggerPlugin];

export { isAllowedAddress, isPublicAddress, parseNetworks } from "./address-policy";
