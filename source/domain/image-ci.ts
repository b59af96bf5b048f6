/**
 * CI rules compatible with dive's (cmd/dive/cli/internal/command/ci/rules.go), plus our own
 * highestInvisibleBytes. Pure.
 * - lowestEfficiency: a ratio 0..1, fails when efficiency < value (dive's default 0.9);
 * - highestWastedBytes: bytes as go-humanize parses them ("20MB" = 20,000,000, "20MiB" =
 *   20,971,520, a bare number = bytes), fails when wasted > value (default disabled);
 * - highestUserWastedPercent: a ratio 0..1 (not 0..100), fails when the ratio > value (default 0.1);
 * - highestInvisibleBytes (ours): bytes like highestWastedBytes, fails when invisible > value
 *   (default disabled).
 * "disabled", "off", "false" or an empty value turns a rule off.
 */

export type RuleKey = 'lowestEfficiency' | 'highestWastedBytes' | 'highestUserWastedPercent' | 'highestInvisibleBytes';

export const ruleKeys: readonly RuleKey[] = ['lowestEfficiency', 'highestWastedBytes', 'highestUserWastedPercent', 'highestInvisibleBytes'];

export const diveDefaults: Record<RuleKey, string> = {
	lowestEfficiency: '0.9',
	highestWastedBytes: 'disabled',
	highestUserWastedPercent: '0.1',
	highestInvisibleBytes: 'disabled',
};

/** The snake-case spellings dive 0.13 also reads. */
export const ruleAliases: Record<string, RuleKey> = {
	'lowest-efficiency': 'lowestEfficiency',
	'highest-wasted-bytes': 'highestWastedBytes',
	'highest-user-wasted-percent': 'highestUserWastedPercent',
	'highest-invisible-bytes': 'highestInvisibleBytes',
};

export interface Rule {
	key: RuleKey;
	config: string;
	/** null when disabled. */
	threshold: number | null;
}

export interface RuleResult {
	key: RuleKey;
	status: 'PASS' | 'FAIL' | 'SKIP';
	line: string;
}

export class RuleValueError extends Error {
	readonly hint: string;
	constructor(key: RuleKey, value: string, hint: string) {
		super(`invalid ${key} value "${value}"`);
		this.hint = hint;
	}
}

const isDisabled = (value: string) => ['', 'disabled', 'off', 'false'].includes(value.trim().toLowerCase());

const byteUnits: Record<string, number> = {
	'': 1,
	b: 1,
	k: 1e3,
	kb: 1e3,
	ki: 1024,
	kib: 1024,
	m: 1e6,
	mb: 1e6,
	mi: 1024 ** 2,
	mib: 1024 ** 2,
	g: 1e9,
	gb: 1e9,
	gi: 1024 ** 3,
	gib: 1024 ** 3,
	t: 1e12,
	tb: 1e12,
	ti: 1024 ** 4,
	tib: 1024 ** 4,
	p: 1e15,
	pb: 1e15,
	pi: 1024 ** 5,
	pib: 1024 ** 5,
	e: 1e18,
	eb: 1e18,
	ei: 1024 ** 6,
	eib: 1024 ** 6,
};

/** go-humanize's ParseBytes: a number (commas ignored), optional spaces, an optional unit. */
export function parseHumanBytes(text: string): number | null {
	const match = /^\s*([\d,]*\.?\d+)\s*([a-zA-Z]*)\s*$/.exec(text);
	if (!match) return null;
	const number = Number(match[1]!.replace(/,/g, ''));
	const unit = byteUnits[match[2]!.toLowerCase()];
	if (!Number.isFinite(number) || unit === undefined) return null;
	return Math.floor(number * unit);
}

export function parseRule(key: RuleKey, raw: string | number | boolean | null | undefined): Rule {
	const config = raw === null || raw === undefined ? '' : String(raw);
	if (isDisabled(config)) return {key, config: 'disabled', threshold: null};
	if (key === 'lowestEfficiency' || key === 'highestUserWastedPercent') {
		const value = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(config) ? Number(config) : Number.NaN;
		if (!Number.isFinite(value)) throw new RuleValueError(key, config, `${key} is a ratio between 0 and 1 (e.g. 0.9), or "disabled"`);
		if (value < 0 || value > 1) throw new RuleValueError(key, config, `${key} is a ratio between 0 and 1, not a percentage: 10% is 0.1`);
		return {key, config, threshold: value};
	}
	const bytes = parseHumanBytes(config);
	if (bytes === null) throw new RuleValueError(key, config, `${key} takes a size such as 20MB (10^6), 20MiB (2^20) or a number of bytes, or "disabled"`);
	return {key, config, threshold: bytes};
}

export interface CiFigures {
	efficiency: number;
	wastedBytes: number;
	userWastedPercent: number;
	invisibleBytes: number;
}

export function evaluateRules(rules: readonly Rule[], figures: CiFigures): RuleResult[] {
	return rules.map(rule => {
		if (rule.threshold === null) return {key: rule.key, status: 'SKIP', line: `SKIP  ${rule.key}: disabled`};
		const t = rule.threshold;
		let fail: boolean;
		let figure: string;
		switch (rule.key) {
			case 'lowestEfficiency':
				fail = t > figures.efficiency;
				figure = `efficiency ${figures.efficiency.toFixed(4)} ${fail ? '<' : '>='} ${rule.config}`;
				break;
			case 'highestWastedBytes':
				fail = figures.wastedBytes > t;
				figure = `wasted ${figures.wastedBytes} bytes ${fail ? '>' : '<='} ${t} (${rule.config})`;
				break;
			case 'highestUserWastedPercent':
				fail = figures.userWastedPercent > t;
				figure = `user wasted ${figures.userWastedPercent.toFixed(4)} ${fail ? '>' : '<='} ${rule.config}`;
				break;
			case 'highestInvisibleBytes':
				fail = figures.invisibleBytes > t;
				figure = `invisible ${figures.invisibleBytes} bytes ${fail ? '>' : '<='} ${t} (${rule.config})`;
				break;
		}
		return {key: rule.key, status: fail ? 'FAIL' : 'PASS', line: `${fail ? 'FAIL' : 'PASS'}  ${rule.key}: ${figure}`};
	});
}

/**
 * Rules from the .dive-ci document's `rules` map (either spelling), then the flags on top,
 * dive's defaults for anything unset.
 */
export function resolveRules(fileRules: Record<string, unknown> | null, flagRules: Partial<Record<RuleKey, string>>): Rule[] {
	const merged: Record<RuleKey, string> = {...diveDefaults};
	for (const [name, value] of Object.entries(fileRules ?? {})) {
		const key = (ruleKeys as readonly string[]).includes(name) ? (name as RuleKey) : ruleAliases[name];
		if (!key) throw Object.assign(new Error(`unknown rule "${name}" in the CI rules file`), {hint: `rules are ${ruleKeys.join(', ')}`});
		merged[key] = value === null || value === undefined ? '' : String(value);
	}
	for (const key of ruleKeys) if (flagRules[key] !== undefined) merged[key] = flagRules[key]!;
	return ruleKeys.map(key => parseRule(key, merged[key]));
}
