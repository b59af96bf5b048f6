import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/cli.js';
import {lab, labDocker, runContainer} from '../helpers/lab.js';
import {tmuxSession} from '../helpers/tmux.js';

/** Issue 6 end to end: from the console, one stopped container is picked, confirmed, removed and audited. */
describe('console prunes a confirmed plan (tmux 80×24)', () => {
	const docker = labDocker();
	const term = tmuxSession('prune-console');
	const name = 'ls-prune-e2e-stopped';
	let id: string;
	let auditLog: string;

	beforeAll(async () => {
		if (!existsSync(cliPath)) execFileSync('npm', ['run', 'build'], {stdio: 'ignore'});
		id = await runContainer(docker, name, 'dd if=/dev/zero of=/x bs=1k count=500 2>/dev/null', {wait: true});
		auditLog = join(mkdtempSync(join(tmpdir(), 'ls-prune-e2e-')), 'actions.jsonl');
		term.start({DOCKER_HOST: lab().dockerHost}, `${process.execPath} ${cliPath} --interval 1 --audit-log ${auditLog}`);
	});

	afterAll(async () => {
		term.kill();
		await docker
			.getContainer(name)
			.remove({force: true})
			.catch(() => {});
	});

	it('removes exactly the chosen stopped container after y, shows the outcome, and audits it', async () => {
		await term.until('the overview', t => t.includes('Where the bytes live'), 90_000);
		expect(term.screen()).not.toContain('READ-ONLY');
		const others = (await docker.listContainers({all: true})).map(c => c.Id).filter(c => c !== id);
		term.send('a');
		await term.until('the suggestions', t => t.includes('security first'), 120_000);
		await term.cursorTo(/Remove stopped containers/);
		term.send('Enter');
		await term.until('the plan', t => t.includes('Plan: Remove stopped containers') && t.includes(name));
		// Only ours: select none, then pick it with space.
		term.send('*', {literal: true});
		await term.until('nothing selected', t => /Selected 0 of/.test(t));
		await term.cursorTo(new RegExp(name));
		term.send('Space');
		await term.until('one selected', t => /Selected 1 of/.test(t));
		term.send('y');
		await term.until('the prompt', t => t.includes('Really remove 1 item(s)'));
		term.send('y');
		const result = await term.until('the result', t => t.includes('Done:'), 60_000);
		expect(result).toContain('1 removed, 0 skipped, 0 failed');
		expect(result).toMatch(/removed\s+container\s+\S+\s+ls-prune-e2e-stopped/);
		expect(result).toMatch(/estimated .* · measured/);

		await expect(docker.getContainer(id).inspect()).rejects.toThrow();
		const still = new Set((await docker.listContainers({all: true})).map(c => c.Id));
		for (const other of others) expect(still.has(other), other).toBe(true);
		const lines = readFileSync(auditLog, 'utf8')
			.trim()
			.split('\n')
			.map(l => JSON.parse(l));
		expect(lines).toHaveLength(1);
		expect(lines[0].item.id).toBe(id);
		expect(lines[0].outcome).toBe('removed');

		term.send('Escape');
		await term.until('the suggestions again', t => t.includes('security first') || t.includes('waiting for a fresh sample'), 60_000);
		term.send('q');
		await term.until('the CLI to exit', t => t.includes('exit=0'));
	});
});
