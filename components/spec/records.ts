/**
 * Records keyed by names a user chose (services, networks, volumes, variables…). A plain object
 * answers for names it does not hold when the name is one of Object.prototype's (`constructor`,
 * `hasOwnProperty`, `toString`…), and assigning `__proto__` replaces its prototype instead of
 * adding a key. These helpers look at own properties only and add `__proto__` as a key like any
 * other, so a service called `constructor` is just a service.
 */

/** True when `record` holds `key` itself (not through its prototype). */
export function hasOwn(record: object | null | undefined, key: PropertyKey): boolean {
    return record !== null && record !== undefined && Object.prototype.hasOwnProperty.call(record, key);
}

/** The value `record` holds for `key` itself, or undefined. */
export function getOwn<T>(record: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
    return hasOwn(record, key) ? (record as Record<string, T>)[key] : undefined;
}

/** Sets `record[key] = value` as an own, enumerable property, `__proto__` included. */
export function setOwn<T>(record: Record<string, T>, key: string, value: NoInfer<T>): void {
    if (key === "__proto__") Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
    else record[key] = value;
}

/** A shallow copy of `record` with its own enumerable keys only (`__proto__` kept as a key). */
export function ownCopy<T>(record: Readonly<Record<string, T>> | null | undefined): Record<string, T> {
    return Object.fromEntries(Object.entries(record ?? {})) as Record<string, T>;
}
