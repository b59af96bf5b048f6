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
