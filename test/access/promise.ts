// What each built-in role promises, written out independently of server/access/permissions.ts (and
// matching README "Roles"): the RBAC tests compare authorize() and the operation table against it.
import type { Action, BuiltInRole, Permission } from "@/server/access/permissions";
import { PERMISSIONS } from "@/server/access/permissions";

const C = "C";
const R = "R";
const U = "U";
const D = "D";
const ALL = [C, R, U, D];

/** What each role promises, per permission: the actions it allows (C, R, U, D). */
export const PROMISE: Record<BuiltInRole, Record<Permission, string[]>> = {
  Admin: Object.fromEntries(PERMISSIONS.map((p) => [p, ALL])) as Record<Permission, string[]>,
  Editor: {
    FLOW: ALL,
    EXECUTION: ALL,
    NAMESPACE: ALL,
    KVSTORE: ALL,
    SECRET: ALL,
    BLUEPRINT: ALL,
    USER: [R],
    ROLE: [R],
    BINDING: [R],
    SERVICE_ACCOUNT: [R],
    APITOKEN: [],
    AUDITLOG: [],
    SETTING: [],
  },
  Launcher: {
    FLOW: [R],
    EXECUTION: [C, R, U],
    NAMESPACE: [R],
    KVSTORE: [R],
    SECRET: [R],
    BLUEPRINT: [R],
    USER: [],
    ROLE: [],
    BINDING: [],
    SERVICE_ACCOUNT: [],
    APITOKEN: [],
    AUDITLOG: [],
    SETTING: [],
  },
  Viewer: {
    FLOW: [R],
    EXECUTION: [R],
    NAMESPACE: [R],
    KVSTORE: [R],
    SECRET: [R],
    BLUEPRINT: [R],
    USER: [],
    ROLE: [],
    BINDING: [],
    SERVICE_ACCOUNT: [],
    APITOKEN: [],
    AUDITLOG: [],
    SETTING: [],
  },
};

export const NAMESPACED = new Set<Permission>(["FLOW", "EXECUTION", "NAMESPACE", "KVSTORE", "SECRET"]);
export const letter = (action: Action) => action.charAt(0);
export const promised = (role: BuiltInRole, permission: Permission, action: Action) =>
  PROMISE[role][permission].includes(letter(action));
