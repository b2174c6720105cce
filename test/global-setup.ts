// Placeholder until the database test helper lands (see test/db.ts once it exists).
export default async function setup(): Promise<void> {}
