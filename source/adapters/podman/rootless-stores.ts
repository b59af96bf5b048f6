import {existsSync, readFileSync} from 'node:fs';
import {isAbsolute, join} from 'node:path';
import {passwdEntries, type PasswdEntry} from './users.js';

export interface RootlessStore {
	user: string;
	uid: number;
	/** The user's containers/storage graph root (their images, layers and containers). */
	graphRoot: string;
}

/** `graphroot` from the [storage] table of a user's storage.conf, when set. */
export function graphRootFromConf(text: string, home: string): string | undefined {
	let table = '';
	for (const raw of text.split('\n')) {
		const line = raw.replace(/#.*$/, '').trim();
		const header = /^\[([^\]]+)\]$/.exec(line);
		if (header) table = header[1]!.trim();
		const value = /^graphroot\s*=\s*["']([^"']*)["']$/.exec(line);
		if (table === 'storage' && value?.[1]) return value[1].replace(/^\$HOME(?=\/|$)/, home).replace(/^~(?=\/|$)/, home);
	}
	return undefined;
}

/** Where a user's rootless Podman keeps its storage: their storage.conf's graphroot, else ~/.local/share/containers/storage. */
export function rootlessGraphRoot(entry: Pick<PasswdEntry, 'home'>): string {
	const conf = join(entry.home, '.config', 'containers', 'storage.conf');
	try {
		const root = graphRootFromConf(readFileSync(conf, 'utf8'), entry.home);
		if (root && isAbsolute(root)) return root;
	} catch {
		// no storage.conf: the default
	}
	return join(entry.home, '.local', 'share', 'containers', 'storage');
}

/**
 * Every user's rootless storage that exists on this machine (as root), or only one's
 * own (as any other user). Cheap: /etc/passwd, one storage.conf and one stat per user.
 */
export function rootlessStores(uid = process.getuid?.() ?? 0, passwd?: string): RootlessStore[] {
	const users = passwdEntries(passwd).filter(e => e.uid > 0 && (uid === 0 || e.uid === uid) && e.home && e.home !== '/' && isAbsolute(e.home));
	return users.flatMap(entry => {
		const graphRoot = rootlessGraphRoot(entry);
		return existsSync(graphRoot) ? [{user: entry.name, uid: entry.uid, graphRoot}] : [];
	});
}
