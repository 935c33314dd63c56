/**
 * dockyard's CrossGuard policy pack: the CIS Docker Benchmark, one policy per recommendation that
 * resources can show (rules.ts), served to the Pulumi engine.
 *
 *     npm run build
 *     pulumi preview --stack dev --policy-pack policy
 *     pulumi preview --stack prod --policy-pack policy --policy-pack-config policy/prod.json
 *
 * Each policy's enforcement level is its rule's default (`level` in rules.ts) unless the pack's
 * configuration sets it: `{"all": "mandatory"}`, or `{"cis-5.13-read-only-rootfs": "advisory"}`.
 * The pack runs compiled (bin/policy/index.js, named by policy/package.json's `main`), as the
 * tests do; the engine starts it in policy/, whose package.json gives the pack's version.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, { policies });
