/** The one table of engine words (issue 20): each kind's words stay its own. */
import {describe, expect, it} from 'vitest';
import {explainClass, pathClasses} from '../../source/domain/classify.js';
import {engineOnlyWords, engineWords, wordsFor} from '../../source/domain/engine-words.js';

const text = (kind: keyof typeof engineWords) => {
	const w = engineWords[kind];
	return [...Object.values(w).filter((v): v is string => typeof v === 'string'), w.sizeLine('1 MB', '3 MB'), ...Object.values(w.classNotes), ...pathClasses.map(c => explainClass(c, kind))].join('\n');
};

describe('engine words', () => {
	it("CRI's words hold no Docker-only command or flag", () => {
		expect(engineOnlyWords.docker.filter(word => text('cri').includes(word))).toEqual([]);
	});

	it("Docker's words hold no CRI-only word", () => {
		expect(engineOnlyWords.cri.filter(word => text('docker').includes(word))).toEqual([]);
	});

	it('each kind names its own tools: crictl stats and the kubelet settings, docker ps -s and --log-opt, podman ps -s', () => {
		expect(text('cri')).toContain('crictl stats');
		expect(wordsFor('cri').logRotation).toMatch(/containerLogMaxSize.*containerLogMaxFiles.*\/var\/log\/pods/);
		expect(wordsFor('cri').scratchMount).toMatch(/emptyDir with sizeLimit.*ephemeral-storage/);
		expect(wordsFor('docker').logRotation).toContain('--log-opt max-size');
		expect(wordsFor('docker').sizeCommand).toBe('docker ps -s');
		expect(wordsFor('podman').sizeCommand).toBe('podman ps -s');
		expect(explainClass('temp', 'cri')).toContain('emptyDir');
		expect(explainClass('temp', 'docker')).toContain('tmpfs');
		expect(explainClass('temp')).toBe(explainClass('temp', 'docker'));
	});
});
