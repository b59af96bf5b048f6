import {describe, expect, it} from 'vitest';
import {classify, classifyDir, classRulesForWorker, copyUpThresholdBytes, explainClass, pathClasses, summarizeClasses} from '../../source/domain/classify.js';

describe('classify', () => {
	const cases: Array<[string, string]> = [
		['/var/log/app.log', 'logs'],
		['/var/log/nginx/access', 'logs'],
		['/var/log/syslog.1', 'logs'],
		['/var/log/messages.2.gz', 'logs'],
		['/srv/app/server.log', 'logs'],
		['/srv/app/server.log.3', 'logs'],
		['/srv/app/server.log.1.gz', 'logs'],
		['/var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease', 'package-cache'],
		['/var/cache/apt/archives/curl.deb', 'package-cache'],
		['/var/cache/apk/APKINDEX.tar.gz', 'package-cache'],
		['/root/.cache/pip/http/a/b', 'package-cache'],
		['/home/app/.npm/_cacache/index', 'package-cache'],
		['/usr/local/share/.cache/yarn/v6/x.tgz', 'package-cache'],
		['/root/.cache/go-build/ab/cd', 'package-cache'],
		['/tmp/upload.bin', 'temp'],
		['/var/tmp/x/y', 'temp'],
		['/var/lib/mysql/ibdata1', 'database'],
		['/var/lib/postgresql/15/main/base/1/1259', 'database'],
		['/data/pgdata/PG_VERSION', 'database'],
		['/data/dump.rdb', 'database'],
		['/data/appendonly.aof', 'database'],
		['/srv/app.sqlite3', 'database'],
		['/srv/app.db', 'database'],
		['/core', 'crash-dump'],
		['/app/core.12345', 'crash-dump'],
		['/usr/share/doc/curl/changelog.gz', 'other'],
		['/etc/passwd', 'other'],
		['/app/score', 'other'],
	];
	it.each(cases)('%s -> %s', (path, cls) => {
		expect(classify({path, kind: 'A'})).toBe(cls);
	});

	it('marks large copy-ups and whiteouts before any path rule', () => {
		expect(classify({path: '/var/log/big.log', kind: 'C', lowerBytes: copyUpThresholdBytes})).toBe('copy-up');
		expect(classify({path: '/var/log/big.log', kind: 'C', lowerBytes: copyUpThresholdBytes - 1})).toBe('logs');
		expect(classify({path: '/big.bin', kind: 'C', lowerBytes: 20 * 1024 * 1024})).toBe('copy-up');
		expect(classify({path: '/usr/lib', kind: 'C', isDir: true, lowerBytes: 10 * 1024 * 1024})).toBe('other');
		expect(classify({path: '/etc/passwd', kind: 'D', lowerBytes: 10})).toBe('whiteout');
	});

	it('classifies directories by their own path', () => {
		expect(classifyDir('/var/log')).toBe('logs');
		expect(classifyDir('/tmp')).toBe('temp');
		expect(classifyDir('/var/lib/mysql')).toBe('database');
		expect(classifyDir('/usr')).toBe('other');
	});

	it('hands the worker the same rules, in class order', () => {
		const rules = classRulesForWorker();
		expect(rules.classes).toEqual([...pathClasses]);
		for (const [path, cls] of cases) {
			const base = path.slice(path.lastIndexOf('/') + 1);
			const dir = path.slice(0, path.lastIndexOf('/') + 1);
			const byName = rules.nameRules.find(r => new RegExp(r.re).test(base));
			const byDir = rules.dirRules.find(r => new RegExp(r.re).test(dir));
			const index = byName?.cls ?? byDir?.cls ?? rules.other;
			expect(rules.classes[index], path).toBe(cls);
		}
	});

	it('explains every class in one line', () => {
		for (const cls of pathClasses) expect(explainClass(cls)).toMatch(/^[^\n]{10,120}$/);
	});

	it('summarises bytes per class, largest first, without empty classes', () => {
		const bytes = pathClasses.map(() => 0);
		const lower = pathClasses.map(() => 0);
		bytes[pathClasses.indexOf('logs')] = 10;
		bytes[pathClasses.indexOf('copy-up')] = 30;
		lower[pathClasses.indexOf('whiteout')] = 5;
		expect(summarizeClasses(bytes, lower)).toEqual([
			{class: 'copy-up', bytes: 30, lowerBytes: 0},
			{class: 'logs', bytes: 10, lowerBytes: 0},
			{class: 'whiteout', bytes: 0, lowerBytes: 5},
		]);
	});
});
