/**
 * The program `dockyard render --target <kind> <files>` evaluates: the Compose files as one App on
 * a default target of that kind.
 */
import { App } from "../components/app";
import { DockerTarget } from "../components/targets/docker";
import { Target } from "../components/targets/target";

export const TARGET_KINDS = ["docker"] as const;

function defaultTarget(kind: string): Target {
    switch (kind) {
        case "docker":
            return new DockerTarget();
        default:
            throw new Error(`unknown target "${kind}": use ${TARGET_KINDS.join(", ")}`);
    }
}

export function composeProgram(kind: string, files: string[], options: { projectName?: string } = {}): () => unknown {
    return () => {
        const target = defaultTarget(kind);
        void files;
        void options;
        void App;
        throw new Error("rendering Compose files needs the Compose loader (components/compose), which has not landed yet");
    };
}
