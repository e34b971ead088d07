export async function runScale(_: { sizes?: number[] }): Promise<void> { throw new Error('todo'); }
