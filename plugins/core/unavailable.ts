/**
 * The `run` of a task whose schema is registered (so flows using it validate, complete in the editor and
 * have docs) but whose runner is not part of this version yet. It fails the task with a message that says
 * so, instead of pretending to work.
 */
export function notAvailableYet(type: string, needs: string) {
  return (): never => {
    throw new Error(`${type} cannot run in this version of Cadenza yet: it needs ${needs}`);
  };
}
