import {readFileSync, statSync} from 'node:fs';
import {parseMountinfo} from '../cri/mountinfo.js';

const read = (path: string): string | null => {
	try {
		return readFileSync(path, 'latin1');
	} catch {
		return null;
	}
};

/** glibc's dev_t encoding, as Node's stat().dev carries it. */
function majorMinor(dev: number): string {
	const d = BigInt(dev);
	const major = ((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn);
	const minor = (d & 0xffn) | ((d >> 12n) & ~0xffn);
	return `${major}:${minor}`;
}

/**
 * Files held through an overlay (a container's root) report the overlay's device. The bytes
 * live on its upper directory's filesystem: find the overlay in the holder's mountinfo.
 */
export class BackingDevices {
	private readonly cache = new Map<number, number>();
	constructor(private readonly proc: string) {}

	resolve(dev: number, pid: number): number {
		const known = this.cache.get(dev);
		if (known !== undefined) return known;
		let backing = dev;
		const wanted = majorMinor(dev);
		for (const source of [`${this.proc}/${pid}/mountinfo`, `${this.proc}/self/mountinfo`]) {
			const text = read(source);
			const mount = text ? parseMountinfo(text).find(m => m.device === wanted && m.fsType === 'overlay') : undefined;
			const upper = mount?.superOptions.find(o => o.startsWith('upperdir='))?.slice('upperdir='.length);
			if (!upper) continue;
			try {
				backing = statSync(upper).dev;
				break;
			} catch {
				// gone, or not visible from here
			}
		}
		this.cache.set(dev, backing);
		return backing;
	}
}
