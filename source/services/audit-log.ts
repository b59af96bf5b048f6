import {appendFileSync, mkdirSync} from 'node:fs';
import {homedir, userInfo} from 'node:os';
import {dirname, join} from 'node:path';

export interface AuditEntry {
	engine: string;
	endpoint: string;
	item: {kind: string; id: string; name: string};
	estimatedBytes: number;
	measuredBytes: number | null;
	outcome: 'removed' | 'skipped' | 'failed';
	reason?: string;
}

export function defaultAuditPath(env: NodeJS.ProcessEnv = process.env): string {
	const state = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
	return join(state, 'layerscope', 'actions.jsonl');
}

function who(env: NodeJS.ProcessEnv) {
	let user = env.USER ?? '';
	try {
		user = userInfo().username;
	} catch {
		// no passwd entry: keep $USER
	}
	return {uid: process.getuid?.() ?? -1, user, ssh: env.SSH_CONNECTION ?? null, tty: env.SSH_TTY ?? (process.stdin.isTTY ? 'tty' : null)};
}

/** Appends one JSON line per executed action. A failed write is returned, never thrown: the action already happened. */
export class AuditLog {
	constructor(
		readonly path: string = defaultAuditPath(),
		private readonly env: NodeJS.ProcessEnv = process.env,
	) {}

	append(entry: AuditEntry): string | null {
		const line = JSON.stringify({time: new Date().toISOString(), ...who(this.env), ...entry});
		try {
			mkdirSync(dirname(this.path), {recursive: true});
			appendFileSync(this.path, line + '\n');
			return null;
		} catch (error) {
			return `audit log ${this.path} not written: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
		}
	}
}
