/** The kinds of target `--target` names. Kept apart from the targets themselves, so parsing a command line loads none of them. */
export const TARGET_KINDS = ["docker", "swarm", "kubernetes"] as const;
export type TargetKindName = (typeof TARGET_KINDS)[number];

export function isTargetKind(kind: string): kind is TargetKindName {
    return (TARGET_KINDS as readonly string[]).includes(kind);
}
