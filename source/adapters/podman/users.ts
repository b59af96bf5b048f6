import {readFileSync} from 'node:fs';

export interface PasswdEntry {
	name: string;
	uid: number;
	home: string;
}

/** /etc/passwd, parsed; empty when unreadable. */
export function passwdEntries(file = '/etc/passwd'): PasswdEntry[] {
	try {
		return readFileSync(file, 'utf8')
			.split('\n')
			.map(line => line.split(':'))
			.filter(fields => fields.length >= 7 && /^\d+$/.test(fields[2]!))
			.map(fields => ({name: fields[0]!, uid: Number(fields[2]), home: fields[5]!}));
	} catch {
		return [];
	}
}

/** A uid's login name, or the number itself when /etc/passwd does not know it. */
export function userName(uid: number, file?: string): string {
	return passwdEntries(file).find(entry => entry.uid === uid)?.name ?? String(uid);
}
