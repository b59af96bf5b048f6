/** `--container NAME|ID`: the row it names, by exact id or name, else by a unique id prefix (3+ characters). Pure. */
import type {ContainerRow} from './rows.js';

export function findRow(rows: readonly ContainerRow[], wanted: string): ContainerRow | undefined {
	const name = wanted.replace(/^\//, '');
	const exact = rows.filter(r => r.record.id === wanted || r.record.name === name || r.name === name || (r.pod !== '' && `${r.pod}/${r.container}` === name));
	if (exact.length === 1) return exact[0];
	const prefix = wanted.length >= 3 ? rows.filter(r => r.record.id.startsWith(wanted)) : [];
	return prefix.length === 1 ? prefix[0] : undefined;
}
