/** Docker engine settings as code: the `daemon.json` converter (pure). */
export * from "./config";
