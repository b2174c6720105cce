import { describe, expect, it } from "vitest";
import { parseIonValue } from "../ion-read";

describe("parseIonValue", () => {
  it("reads a four-digit integer as a number, and a year followed by T as a timestamp", () => {
    expect(parseIonValue("{id:2499,year:2024T,day:2024-05-01,at:2024-05-01T10:00:00Z}")).toEqual({
      id: 2499,
      year: "2024T",
      day: "2024-05-01",
      at: "2024-05-01T10:00:00Z",
    });
    expect(parseIonValue("[1999,-2000,12345]")).toEqual([1999, -2000, 12345]);
  });
});
