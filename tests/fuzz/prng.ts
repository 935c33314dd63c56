/** A small seeded pseudo-random generator (sfc32), so that a fuzz run is repeated exactly from its seed. */
export class Prng {
    private a: number;
    private b: number;
    private c: number;
    private d: number;

    constructor(seed: number) {
        this.a = 0x9e3779b9;
        this.b = 0x243f6a88;
        this.c = 0xb7e15162;
        this.d = seed >>> 0;
        for (let i = 0; i < 16; i++) this.next();
    }

    /** A float in [0, 1). */
    next(): number {
        this.a >>>= 0;
        this.b >>>= 0;
        this.c >>>= 0;
        this.d >>>= 0;
        let t = (this.a + this.b) | 0;
        this.a = this.b ^ (this.b >>> 9);
        this.b = (this.c + (this.c << 3)) | 0;
        this.c = (this.c << 21) | (this.c >>> 11);
        this.d = (this.d + 1) | 0;
        t = (t + this.d) | 0;
        this.c = (this.c + t) | 0;
        return (t >>> 0) / 4294967296;
    }

    /** An integer in [0, n). */
    int(n: number): number {
        return Math.floor(this.next() * n);
    }

    /** An integer in [lo, hi]. */
    range(lo: number, hi: number): number {
        return lo + this.int(hi - lo + 1);
    }

    /** True with probability p. */
    chance(p: number): boolean {
        return this.next() < p;
    }

    pick<T>(items: readonly T[]): T {
        return items[this.int(items.length)];
    }

    /** A seed for a derived generator (one per case, so a case is reproduced from its own seed). */
    fork(): number {
        return (this.next() * 4294967296) >>> 0;
    }
}
