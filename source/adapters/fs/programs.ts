/**
 * Helper programs (GNU find, GNU tar) resolved once per process to an absolute path, so a
 * walk that runs them many times never searches PATH again.
 */
import {accessSync, constants, statSync} from 'node:fs';
import {delimiter, isAbsolute, join} from 'node:path';

const resolved = new Map<string, string | null>();

/** The absolute path of `name` on PATH (first executable regular file), or null. */
export function programPath(name: string): string | null {
	if (resolved.has(name)) return resolved.get(name)!;
	let found: string | null = null;
	for (const dir of (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
		if (!dir || !isAbsolute(dir)) continue;
		const path = join(dir, name);
		try {
			if (!statSync(path).isFile()) continue;
			accessSync(path, constants.X_OK);
			found = path;
			break;
		} catch {
			// not here
		}
	}
	resolved.set(name, found);
	return found;
}

/**
 * glibc's malloc in a walking find gives its heap top back to the kernel each time the
 * top is free for 128 KiB (fts frees a directory's entries as it leaves it), then faults
 * the same pages in again: a find over 100,000 entries took 2,900 page faults where 480
 * do with a 16 MiB pad kept (bench/image.mjs: about 2 ms of CPU per find). Pages never
 * written cost nothing. Where the libc is not glibc, or GLIBC_TUNABLES already sets the
 * pad, this changes nothing.
 */
const TOP_PAD = 'glibc.malloc.top_pad=16777216';

/** The environment of a walking find: `env` in the C locale (names as bytes, messages in English), with a kept heap top. */
export function helperEnvOf(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const tunables = env.GLIBC_TUNABLES;
	const padded = tunables === undefined || tunables === '' ? TOP_PAD : tunables.includes('glibc.malloc.top_pad=') ? tunables : `${tunables}:${TOP_PAD}`;
	return {...env, LC_ALL: 'C', GLIBC_TUNABLES: padded};
}

let helperEnvironment: NodeJS.ProcessEnv | undefined;

/** helperEnvOf(process.env), made once. */
export function helperEnv(): NodeJS.ProcessEnv {
	helperEnvironment ??= helperEnvOf(process.env);
	return helperEnvironment;
}
