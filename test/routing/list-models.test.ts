import { expect, test } from "bun:test";
import { listModels } from "../../src/routing/list-models.ts";
import { makeConfig, makeProvider, makeRoute } from "./make-config.ts";

test("aliases, then provider/model, then bare ids owned by the first provider listing them", () => {
  const config = makeConfig(
    [
      makeProvider("openai", { modelPrefixes: ["gpt-"] }),
      makeProvider("local", { models: ["llama3.3", "qwen3"] }),
      makeProvider("groq", { models: ["llama3.3"] }),
    ],
    [makeRoute("fast", ["groq/llama3.3"]), makeRoute("best", ["openai/gpt-5"])],
  );
  expect(listModels(config)).toEqual([
    { id: "fast", ownedBy: "switchboard" },
    { id: "best", ownedBy: "switchboard" },
    { id: "local/llama3.3", ownedBy: "local" },
    { id: "local/qwen3", ownedBy: "local" },
    { id: "groq/llama3.3", ownedBy: "groq" },
    { id: "llama3.3", ownedBy: "local" },
    { id: "qwen3", ownedBy: "local" },
  ]);
});
