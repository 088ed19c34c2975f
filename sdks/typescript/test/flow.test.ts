/**
 * The TypeScript SDK on the main flow against a running stack (`make test-js` starts
 * `make run`'s server through devtools/with_stack.py and passes REWARDS_API and
 * REWARDS_API_KEY): a campaign, an issue, a redemption, a typed problem, a spin, the
 * report, and a webhook delivery verified with the Standard Webhooks library.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";

import { createRewardsClient, rateLimit, verifyWebhook, type WebhookEvent } from "../src/index.js";

const api = process.env.REWARDS_API;
const key = process.env.REWARDS_API_KEY;
if (!api || !key) {
  throw new Error("REWARDS_API and REWARDS_API_KEY must name a running stack: run `make test-js`");
}

interface Delivery { headers: IncomingHttpHeaders; body: string }

async function receiver(): Promise<{ url: string; got: Delivery[]; close: () => void }> {
  const got: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, got, close: () => server.close() };
}

async function until(test: () => boolean, seconds: number, what: string): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("the TypeScript SDK runs the main flow", async () => {
  const partner = createRewardsClient({ baseUrl: api, token: key });
  const hooks = await receiver();
  try {
    const endpoint = await partner.POST("/v1/webhook-endpoints", {
      body: { url: hooks.url, events: ["gift.issued"] },
    });
    assert.equal(endpoint.response.status, 201);
    const secret = endpoint.data?.secret;
    assert.ok(secret?.startsWith("whsec_"));

    const ends = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
    const campaign = await partner.POST("/v1/campaigns", {
      body: {
        name: "TS SDK flow", currency: "VND", budget: 1_000_000, ends_at: ends,
        wheel: {
          segments: [
            { id: "win", label: "10.000d", weight: 1, prize: { amount: 10_000 } },
            { id: "none", label: "Next time", weight: 0, prize: null },
          ],
          fallback_segment_id: "none",
        },
      },
    });
    assert.equal(campaign.response.status, 201, JSON.stringify(campaign.error));
    const campaignId = campaign.data!.id;

    const gift = await partner.POST("/v1/campaigns/{campaign_id}/gifts", {
      params: { path: { campaign_id: campaignId }, header: { "Idempotency-Key": randomUUID() } },
      body: { amount: 50_000 },
    });
    assert.equal(gift.response.status, 201);
    const code = gift.data!.code;
    const redeemed = await partner.POST("/v1/gifts/{code}/redeem", {
      params: { path: { code }, header: { "Idempotency-Key": randomUUID() } },
      body: { amount: 20_000 },
    });
    assert.equal(redeemed.data?.gift.balance, 30_000);

    // a typed problem: `error` is a Problem with its stable code
    const tooMuch = await partner.POST("/v1/gifts/{code}/redeem", {
      params: { path: { code }, header: { "Idempotency-Key": randomUUID() } },
      body: { amount: 999_999 },
    });
    assert.equal(tooMuch.response.status, 422);
    assert.equal(tooMuch.error?.code, "insufficient_balance");
    assert.ok(rateLimit(tooMuch.response).default.remaining >= 0);

    const minted = await partner.POST("/v1/campaigns/{campaign_id}/player-tokens", {
      params: { path: { campaign_id: campaignId } },
      body: { player_id: "zalo:84900000002" },
    });
    assert.equal(minted.response.status, 201);
    const player = createRewardsClient({ baseUrl: api, token: minted.data!.token });
    const spin = await player.POST("/v1/play/spins", {
      params: { header: { "Idempotency-Key": randomUUID() } },
      body: {},
    });
    assert.equal(spin.response.status, 201, JSON.stringify(spin.error));
    assert.equal(spin.data?.prize?.amount, 10_000);
    assert.deepEqual(Object.keys(rateLimit(spin.response)).sort(), ["campaign", "player"]);

    const report = await partner.GET("/v1/campaigns/{campaign_id}/report", {
      params: { path: { campaign_id: campaignId } },
    });
    assert.equal(report.data?.gifts.issued.count, 2);
    assert.equal(report.data?.spins.count, 1);

    // every delivery verifies with the Standard Webhooks library; a tampered one does not
    await until(() => hooks.got.length >= 2, 60, "two gift.issued deliveries");
    for (const { headers, body } of hooks.got) {
      const event = verifyWebhook(secret!, body, headers) as WebhookEvent<"gift.issued">;
      assert.equal(event.type, "gift.issued");
      assert.equal(event.data.campaign_id, campaignId);
      assert.throws(() => verifyWebhook(secret!, body.replace("gift.issued", "gift.voided"), headers));
    }
  } finally {
    hooks.close();
  }
});
