/** The stacks' WordPress app: its Kubernetes settings travel in the app, so one target serves every app. */
import * as assert from "assert";
import { convertContext, toHpa, toPersistentVolumeClaim, workloadKind } from "../../components/targets/kubernetes";
import { wordpressApp, WordpressSettings } from "../../stacks/wordpress";
import { assertSpecError } from "../harness";

const BASE: WordpressSettings = {
    port: 8080,
    wordpressImage: "wordpress:6.8-apache",
    dbImage: "mysql:8.4",
    dbPassword: "correct horse",
    replicas: 3,
    wordpress: { cpuReservation: "0.5" },
};

describe("stacks/wordpress", () => {
    it("without Kubernetes settings, the app carries no extension (as on Docker and Swarm)", () => {
        const spec = wordpressApp(BASE);
        assert.deepStrictEqual([spec.services.wordpress.extensions, spec.services.db.extensions, spec.volumes.db_data.extensions], [{}, {}, {}]);
    });

    it("the database volume's size and WordPress' autoscaler are x-kubernetes settings of the app", () => {
        const spec = wordpressApp({ ...BASE, kubernetes: { dbVolumeSize: "20Gi", wordpressAutoscaling: { minReplicas: 3, maxReplicas: 10 } } });
        assert.deepStrictEqual(spec.volumes.db_data.extensions, { "x-kubernetes": { size: "20Gi" } });
        assert.deepStrictEqual(spec.services.wordpress.extensions, { "x-kubernetes": { autoscaling: { minReplicas: 3, maxReplicas: 10 } } });
        assert.deepStrictEqual(spec.services.db.extensions, {});
    });

    it("one set of target options serves two apps with different sizes and autoscalers", () => {
        const args = { storageClass: "fast", defaultVolumeSize: "1Gi" };
        const big = wordpressApp({ ...BASE, kubernetes: { dbVolumeSize: "50Gi", wordpressAutoscaling: { maxReplicas: 10 } } });
        const small = wordpressApp({ ...BASE, replicas: 1 });
        const size = (spec: typeof big) =>
            (toPersistentVolumeClaim(convertContext(spec, args), spec.volumes.db_data).spec as { resources: { requests: { storage: string } } }).resources.requests.storage;
        assert.deepStrictEqual([size(big), size(small)], ["50Gi", "1Gi"]);
        const hpa = (spec: typeof big) => {
            const ctx = convertContext(spec, args);
            return toHpa(ctx, spec.services.wordpress, workloadKind(ctx, spec.services.wordpress))?.spec as { minReplicas: number; maxReplicas: number } | undefined;
        };
        assert.deepStrictEqual([hpa(big)?.minReplicas, hpa(big)?.maxReplicas, hpa(small)], [3, 10, undefined]);
    });

    it("a bad Kubernetes setting names its place in the app", () => {
        const spec = wordpressApp({ ...BASE, kubernetes: { dbVolumeSize: "lots" } });
        assertSpecError(() => convertContext(spec, {}), "volumes.db_data.x-kubernetes.size", '"lots"');
        const noCpu = wordpressApp({ ...BASE, wordpress: {}, kubernetes: { wordpressAutoscaling: { maxReplicas: 10 } } });
        assertSpecError(() => convertContext(noCpu, {}), "services.wordpress.x-kubernetes.autoscaling", "needs a CPU request");
    });
});
