export * from "./types";
export * from "./input";
export { SpecError } from "./errors";
export { defineApp, parseRestart, DEFAULT_NETWORK } from "./normalize";
export { parsePort, parseExpose } from "./ports";
export { parseMount, parseTmpfs, parseMode } from "./mounts";
export { parseDurationMs, parseBytes, parseCpus, formatDuration } from "./units";
export { splitShellWords } from "./shellwords";
export * from "./labels";
