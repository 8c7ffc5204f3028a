#!/usr/bin/env node
// Runs calls through the official Tencent Cloud Node.js SDK (tencentcloud-sdk-nodejs) and
// prints what the SDK hands its caller. Input on stdin: a JSON list of cases
//   {service: "faceid"|"sms", endpoint, protocol?, region?, secretId, secretKey,
//    signMethod?, reqMethod?, resolve_to?, action, params}
// resolve_to connects every host name to that address (what /etc/hosts would do).
// then: {action, params, carry: [field...]} a second call on the same client, with the named
// fields of the first answer added to its params (DetectAuth -> GetDetectInfoEnhanced).
// Output on stdout: a JSON list, per case {ok: true, response} or
//   {ok: false, error: {code, message, requestId, httpCode}}.
"use strict";

const http = require("http");
const { faceid } = require("tencentcloud-sdk-nodejs/tencentcloud/services/faceid");
const { sms } = require("tencentcloud-sdk-nodejs/tencentcloud/services/sms");

const CLIENTS = {
  faceid: faceid.v20180301.Client,
  sms: sms.v20210111.Client,
};

function resolvingAgent(address) {
  const family = address.includes(":") ? 6 : 4;
  return new http.Agent({
    lookup: (host, options, cb) =>
      options && options.all ? cb(null, [{ address, family }]) : cb(null, address, family),
  });
}

async function run(c) {
  const Client = CLIENTS[c.service];
  if (!Client) throw new Error(`unknown service ${c.service}`);
  const client = new Client({
    credential: { secretId: c.secretId, secretKey: c.secretKey },
    region: c.region || "",
    profile: {
      signMethod: c.signMethod || "TC3-HMAC-SHA256",
      httpProfile: {
        endpoint: c.endpoint,
        protocol: c.protocol || "http://",
        reqMethod: c.reqMethod || "POST",
        reqTimeout: c.timeout || 10,
        agent: c.resolve_to ? resolvingAgent(c.resolve_to) : undefined,
      },
    },
  });
  const first = await call(client, c.action, c.params);
  if (!c.then || !first.ok) return first;
  const params = Object.assign({}, c.then.params);
  for (const name of c.then.carry || []) params[name] = first.response[name];
  return Object.assign(await call(client, c.then.action, params), { first });
}

async function call(client, action, params) {
  try {
    const response = await client[action](params);
    return { ok: true, response };
  } catch (e) {
    return {
      ok: false,
      error: {
        code: e.code || "",
        message: e.message || String(e),
        requestId: e.requestId || "",
        httpCode: e.httpCode || null,
      },
    };
  }
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const cases = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const results = [];
  for (const c of cases) results.push(await run(c));
  process.stdout.write(JSON.stringify(results));
}

main().catch((e) => {
  process.stderr.write(String((e && e.stack) || e));
  process.exit(2);
});
