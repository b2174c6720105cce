/** Kestra's pre-0.17 name of a flowable task: `io.kestra.core.tasks.flows.<Name>`. */
export const old = (name: string): string => `io.kestra.core.tasks.flows.${name}`;
