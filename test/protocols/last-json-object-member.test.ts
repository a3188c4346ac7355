// A same-protocol JSON answer's usage is read by parsing only its last `"usage": {…}` member.
import { describe, expect, test } from "bun:test";
import { lastJsonObjectMember } from "../../src/protocols/last-json-object-member.ts";

describe("lastJsonObjectMember", () => {
  test("the top-level usage, not one nested later (a tool input, Kimi's choices[0].usage after it)", () => {
    const text = JSON.stringify({
      usage: { input_tokens: 7, output_tokens: 2 },
      content: [{ type: "tool_use", input: { usage: { input_tokens: 999 } } }],
      choices: [{ usage: { prompt_tokens: 1 } }],
    });
    expect(lastJsonObjectMember(text, "usage")).toEqual({ input_tokens: 7, output_tokens: 2 });
    expect(lastJsonObjectMember(JSON.stringify({ a: [{ usage: { n: 1 } }] }), "usage")).toBeUndefined();
  });

  test("the top-level usage after choices whose text mentions usage, braces and quotes", () => {
    const answer = {
      id: "chatcmpl-1",
      choices: [
        {
          message: { content: 'say "usage": {"prompt_tokens": 999} and } { \\ "usage":{' },
          usage: { prompt_tokens: 1 }, // Kimi's choices[0].usage: not the last
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 3, details: { cached: { tokens: 2 } } },
    };
    expect(lastJsonObjectMember(JSON.stringify(answer), "usage")).toEqual(answer.usage);
  });

  test("any spacing (Python's json.dumps), and the same value JSON.parse gives", () => {
    const text = JSON.stringify({ a: 1, usage: { input_tokens: 5, output_tokens: 7 }, z: [1] }, null, 2);
    expect(lastJsonObjectMember(text, "usage")).toEqual(JSON.parse(text).usage);
    expect(lastJsonObjectMember('{"usage" :\n {"n": 1}}', "usage")).toEqual({ n: 1 });
  });

  test("no member, a non-object value, or text cut inside it: undefined", () => {
    expect(lastJsonObjectMember('{"id":"x"}', "usage")).toBeUndefined();
    expect(lastJsonObjectMember('{"usage":null}', "usage")).toBeUndefined();
    expect(lastJsonObjectMember('{"usage":{"n":1', "usage")).toBeUndefined();
    expect(lastJsonObjectMember('{"text":"\\"usage\\":{\\"n\\":1}"}', "usage")).toBeUndefined();
  });

  test("a string with an escaped backslash before its closing quote does not hide the member", () => {
    const text = JSON.stringify({ path: "C:\\dir\\", usage: { n: 2 } });
    expect(lastJsonObjectMember(text, "usage")).toEqual({ n: 2 });
  });
});
