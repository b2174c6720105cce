/** Registry of every built-in filter. */
import type { FilterDef } from "../registry";
import { COLLECTION_FILTERS } from "./collections";
import { DATA_FILTERS } from "./data";
import { DATE_FILTERS } from "./dates";
import { ENCODING_FILTERS } from "./encoding";
import { NUMBER_FILTERS } from "./numbers";
import { STRING_FILTERS } from "./strings";

export const FILTERS: ReadonlyMap<string, FilterDef> = new Map([
  ...STRING_FILTERS,
  ...COLLECTION_FILTERS,
  ...ENCODING_FILTERS,
  ...DATA_FILTERS,
  ...NUMBER_FILTERS,
  ...DATE_FILTERS,
]);
