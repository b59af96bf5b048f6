import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, readlinkSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {scanDeletedOpen} from '../../source/adapters/proc/deleted-open-scan.js';
import {cliPath} from '../helpers/cli.js';
import {lab, labDocker, runContainer, waitFor} from '../helpers/lab.js';
import {tmuxSession} from '../helpers/tmux.js';

/** Issue 14 end to end: a container holding a deleted 20 MiB file, found with d, truncated from the actions screen. */
describe('console: deleted files held open (tmux 80×24)', () => {
	const docker = labDocker();
	const term = tmuxSession('deleted-open-console');
	const name = 'ls-do-e2e-holder';
	let auditLog: string;

	beforeAll(async () => {
		if (!existsSync(cliPath)) execFileSync('npm', ['run', 'build'], {stdio: 'ignore'});
		await runContainer(docker, name, 'exec 3>/var/e2e-held.bin; dd if=/dev/zero bs=1M count=20 >&3 2>/dev/null; rm /var/e2e-held.bin; exec sleep 3600');
		await waitFor('the container to hold its deleted file', async () => scanDeletedOpen({devices: null}).files.find(f => f.path === '/var/e2e-held.bin'));
		auditLog = join(mkdtempSync(join(tmpdir(), 'ls-do-e2e-')), 'actions.jsonl');
		term.start({DOCKER_HOST: lab().dockerHost}, `${process.execPath} ${cliPath} --runtime docker --interval 1 --audit-log ${auditLog}`);
	});

	afterAll(async () => {
		term.kill();
		await docker
			.getContainer(name)
			.remove({force: true})
			.catch(() => {});
	});

	it('shows the row, lists the file under its container with d, and truncates it after confirmation', async () => {
		await term.until('the ledger row', t => /Deleted, still open \(d\)/.test(t), 90_000);
		term.send('d');
		const list = await term.until('the holders', t => t.includes('HOLDER / FILE') && t.includes(name));
		expect(list).toMatch(new RegExp(`${name} \\(docker\\)\\s+2[01]\\.\\d MB`));
		expect(list).toContain('/var/e2e-held.bin');
		term.send('a');
		await term.until('the suggestions', t => t.includes('security first'), 120_000);
		await term.cursorTo(/held open.*ls-do-e2e/);
		term.send('Enter');
		await term.until('the plan', t => t.includes(`Plan: Truncate deleted files held open by ${name}`));
		const plan = term.screen();
		expect(plan).toMatch(/open-file\s+\d+:3\s+\/var\/e2e-held\.bin/);
		term.send('y');
		await term.until('the prompt', t => /Really remove 1 item/.test(t));
		term.send('y');
		const result = await term.until('the result', t => t.includes('Done:'), 60_000);
		expect(result).toContain('1 removed, 0 skipped, 0 failed');
		const held = scanDeletedOpen({devices: null}).files.find(f => f.path === '/var/e2e-held.bin')!;
		expect(held).toMatchObject({bytes: 0, allocatedBytes: 0});
		expect(readlinkSync(`/proc/${held.pid}/fd/3`)).toBe('/var/e2e-held.bin (deleted)');
		expect(statSync(`/proc/${held.pid}/fd/3`).blocks).toBe(0);
		const lines = readFileSync(auditLog, 'utf8')
			.trim()
			.split('\n')
			.map(l => JSON.parse(l));
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatchObject({engine: 'host', item: {kind: 'open-file', id: `${held.pid}:3`}, outcome: 'removed'});
		term.send('q');
		await term.until('the CLI to exit', t => t.includes('exit=0'));
	});
});
