import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';

export interface ReadOnlyMode {
	readonly on: boolean;
	/** What turned it on, for the banner: "--read-only", "LAYERSCOPE_READ_ONLY=1" or the config file. */
	readonly source: string | null;
}

export function configPaths(env: NodeJS.ProcessEnv = process.env): string[] {
	const xdg = env.XDG_CONFIG_HOME || join(homedir(), '.config');
	return [join(xdg, 'layerscope', 'config'), '/etc/layerscope/config'];
}

const truthy = /^(1|true|yes|on)$/i;

/** A config line `read-only = true` (or `read-only: true`) in any config file turns it on. */
function fromConfig(paths: string[]): string | null {
	for (const path of paths) {
		let text: string;
		try {
			text = readFileSync(path, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n')) {
			const match = /^\s*read[-_]?only\s*[=:]\s*"?([^"#\s]+)"?\s*(#.*)?$/i.exec(line);
			if (match && truthy.test(match[1]!)) return path;
		}
	}
	return null;
}

/**
 * Decided once at start-up and frozen: nothing in a session can turn it off. Any one
 * source turns it on; none can turn it off once another has.
 */
export function resolveReadOnly(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env, paths = configPaths(env)): ReadOnlyMode {
	let source: string | null = null;
	if (flag) source = '--read-only';
	else if (truthy.test(env.LAYERSCOPE_READ_ONLY ?? '')) source = 'LAYERSCOPE_READ_ONLY';
	else {
		const file = fromConfig(paths);
		if (file) source = file;
	}
	return Object.freeze({on: source !== null, source});
}
