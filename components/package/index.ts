/** dockyard as a Pulumi component package, for programs in other languages (see pulumi-package/). */
export { DockyardProvider, appSpecOf } from "./provider";
export { packageSchema, packageVersion, schemaText, PACKAGE } from "./schema";
export { resolveInputs, pathMatcher, Resolved } from "./inputs";
