/**
 * One loopback cloud in front of the mock provider, and the gateway on it, for the cloud e2e suites:
 *
 *   let mock: MockUpstream; let azure: MockAzure; let gw: TestGateway; let openai: OpenAI; let anthropic: Anthropic;
 *   let suite: CloudGateway<MockAzure>;
 *   beforeAll(async () => {
 *     suite = await startCloudGateway((mock) => startMockAzure({ upstream: mock, ... }), (azure) => ({ yaml, env }));
 *     ({ mock, cloud: azure, gw, openai, anthropic } = suite);
 *   });
 *   afterAll(() => suite?.stop());
 *   beforeEach(() => suite.reset());
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { startTestGateway, type TestGateway, type TestGatewayOptions } from "../gateway.ts";
import { type MockUpstream, startMockUpstream } from "../mock-upstream.ts";
import type { Gate } from "./mock-gate.ts";

export interface CloudGateway<C extends Gate> {
  mock: MockUpstream;
  cloud: C;
  gw: TestGateway;
  /** `${gw.url}/v1`, any key, no retries. */
  openai: OpenAI;
  anthropic: Anthropic;
  /** Between tests: the mock's script and requests, the cloud's `seen` and `rejections`. */
  reset(): void;
  /** The gateway, then the cloud, then the mock. */
  stop(): Promise<void>;
}

/** Clears what a loopback cloud recorded (`seen`, `rejections`). */
export function resetGates(...gates: Gate[]): void {
  for (const gate of gates) {
    gate.seen.length = 0;
    gate.rejections.length = 0;
  }
}

export async function startCloudGateway<C extends Gate>(
  startCloud: (mock: MockUpstream) => Promise<C>,
  gatewayOptions: (cloud: C) => TestGatewayOptions | Promise<TestGatewayOptions>,
): Promise<CloudGateway<C>> {
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const mock = await startMockUpstream();
    started.unshift(mock);
    const cloud = await startCloud(mock);
    started.unshift(cloud);
    const gw = await startTestGateway(await gatewayOptions(cloud));
    started.unshift(gw);
    return {
      mock,
      cloud,
      gw,
      openai: new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "anything", maxRetries: 0 }),
      anthropic: new Anthropic({ baseURL: gw.url, apiKey: "anything", maxRetries: 0 }),
      reset() {
        mock.reset();
        resetGates(cloud);
      },
      async stop() {
        for (const s of started) await s.stop();
      },
    };
  } catch (error) {
    for (const s of started) await s.stop();
    throw error;
  }
}
