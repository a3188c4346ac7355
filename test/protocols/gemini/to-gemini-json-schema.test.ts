import { describe, expect, test } from "bun:test";
import {
  toGeminiJsonSchema,
  toGeminiParameters,
} from "../../../src/protocols/gemini/to-gemini-json-schema.ts";

describe("toGeminiJsonSchema", () => {
  test("inlines $defs refs (with sibling keywords merged) and removes $defs and $schema", () => {
    const schema = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: {
        home: { $ref: "#/$defs/Address", description: "where they live" },
        work: { $ref: "#/definitions/Address" },
      },
      $defs: { Address: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
      definitions: { Address: { type: "object", properties: { zip: { type: "string" } } } },
    };
    expect(toGeminiJsonSchema(schema)).toEqual({
      type: "object",
      properties: {
        home: {
          type: "object",
          properties: { city: { type: "string" } },
          required: ["city"],
          description: "where they live",
        },
        work: { type: "object", properties: { zip: { type: "string" } } },
      },
    });
  });
  test("a cyclic $ref becomes an untyped object instead of recursing forever", () => {
    const schema = {
      type: "object",
      properties: { root: { $ref: "#/$defs/Node" } },
      $defs: {
        Node: { type: "object", properties: { child: { $ref: "#/$defs/Node", description: "next" } } },
      },
    };
    expect(toGeminiJsonSchema(schema)).toEqual({
      type: "object",
      properties: {
        root: { type: "object", properties: { child: { type: "object", description: "next" } } },
      },
    });
  });
  test("const → enum, examples removed; anyOf, type arrays and additionalProperties kept", () => {
    const schema = {
      type: "object",
      additionalProperties: false,
      properties: {
        kind: { const: "circle", examples: ["circle"] },
        radius: { type: ["number", "null"] },
        shape: { anyOf: [{ type: "string" }, { type: "object", properties: { x: { const: 1 } } }] },
        // a property literally named like a keyword is data, not a keyword
        const: { type: "string" },
      },
    };
    expect(toGeminiJsonSchema(schema)).toEqual({
      type: "object",
      additionalProperties: false,
      properties: {
        kind: { enum: ["circle"] },
        radius: { type: ["number", "null"] },
        shape: { anyOf: [{ type: "string" }, { type: "object", properties: { x: { enum: [1] } } }] },
        const: { type: "string" },
      },
    });
  });
  test("does not modify its input", () => {
    const schema = { type: "object", properties: { a: { $ref: "#/$defs/A" } }, $defs: { A: { const: 1 } } };
    const copy = structuredClone(schema);
    toGeminiJsonSchema(schema);
    expect(schema).toEqual(copy);
  });
});

describe("toGeminiParameters", () => {
  test("no parameters → no schema at all", () => {
    expect(toGeminiParameters({})).toBeUndefined();
    expect(
      toGeminiParameters({ type: "object", properties: {}, additionalProperties: false }),
    ).toBeUndefined();
  });
  test("bare properties get type object", () => {
    expect(toGeminiParameters({ properties: { a: { type: "string" } } })).toEqual({
      type: "object",
      properties: { a: { type: "string" } },
    });
  });
});
