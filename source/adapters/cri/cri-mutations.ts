import type {CriClient} from './cri-client.js';

/** Thin wrappers only: guarding, confirmation and auditing belong to the mutation service. */
export function removeContainer(client: CriClient, containerId: string): Promise<void> {
	return client.removeContainer(containerId);
}

export function removeImage(client: CriClient, ref: string): Promise<void> {
	return client.removeImage(ref);
}
