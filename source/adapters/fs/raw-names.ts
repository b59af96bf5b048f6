/**
 * Names and paths as the walkers read them: a string when the listing is valid UTF-8,
 * bytes otherwise (WALKER-FACTS.md: string paths turn invalid bytes into U+FFFD and the
 * subtree disappears). Shared by every walker, the sampler and the worker threads.
 */
import {readdirSync} from 'node:fs';

/** A raw path or name from a walker: a string when valid UTF-8, bytes otherwise. */
export type RawName = string | Uint8Array;

const SLASH = Buffer.from('/');

export const asBuf = (p: RawName): Buffer => (typeof p === 'string' ? Buffer.from(p) : Buffer.isBuffer(p) ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength));

/** A name as a string key: itself when a string, its bytes as latin1 otherwise. */
export const text = (p: RawName): string => (typeof p === 'string' ? p : asBuf(p).toString('latin1'));

/** dir + '/' + name, as a string when both are strings. */
export function join(dir: RawName, name: RawName): RawName {
	if (typeof dir === 'string' && typeof name === 'string') return dir === '/' ? '/' + name : dir + '/' + name;
	return Buffer.concat([asBuf(dir), SLASH, asBuf(name)]);
}

/** root + rel (rel starts with '/' or is empty). */
export const under = (root: string, rel: RawName): string | Buffer => (typeof rel === 'string' ? root + rel : Buffer.concat([Buffer.from(root), asBuf(rel)]));

/** A directory's identity in a walked tree: its path inside the layer ("/" for the root), base64 when not UTF-8. */
export const keyOf = (rel: RawName): string => (rel === '' || (typeof rel !== 'string' && rel.length === 0) ? '/' : typeof rel === 'string' ? rel : '\0b64:' + asBuf(rel).toString('base64'));

/** The path inside the layer that keyOf() was made from. */
export const relOfKey = (key: string): RawName => (key === '/' ? '' : key.startsWith('\0b64:') ? Buffer.from(key.slice(5), 'base64') : key);

/** A directory's names; re-read as bytes when one is not valid UTF-8, so the subtree survives. */
export function listDir(dir: string | Buffer): Array<string | Buffer> {
	const names = readdirSync(dir);
	for (const name of names) if (name.includes('\uFFFD')) return readdirSync(dir, {encoding: 'buffer'});
	return names;
}
