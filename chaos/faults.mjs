// @ts-check
// Injects the scheduled faults into the stack, each lane in its own loop: a fault starts at its time (or when the
// lane's previous fault is healed, if later), lasts its length, and is healed; the history records both moments.

/** @typedef {import("./schedule.mjs").ScheduledFault} ScheduledFault */
/** @typedef {import("./stack.mjs").Stack} Stack */

/** @type {Record<string, import("./stack.mjs").ProviderMode>} */
const PROVIDER_MODE = { "provider-hang": "hang", "provider-503": "status503", "provider-reset": "reset" };

/**
 * Hurts the stack as `fault` says and returns once it is healed again.
 * @param {Stack} stack
 * @param {ScheduledFault} fault
 * @param {import("./history.mjs").History} history
 */
export async function inject(stack, fault, history) {
  const record = {
    kind: fault.kind,
    lane: fault.lane,
    ...(fault.instance !== undefined ? { instance: fault.instance } : {}),
    ...(fault.endpoint && stack.provider.name === "built-in provider" ? { endpoint: fault.endpoint } : {}),
  };
  const mode = PROVIDER_MODE[fault.kind];
  if (mode) {
    await stack.provider.setFault(mode, fault.endpoint);
    const healed = history.faultStarted(record);
    await sleep(fault.forMs);
    await stack.provider.clearFaults();
    return healed();
  }
  if (fault.kind === "provider-restart") {
    const healed = history.faultStarted(record);
    await stack.provider.restart(fault.forMs);
    return healed();
  }
  if (fault.kind === "store-pause") {
    await stack.store.pause(fault.forMs);
    const healed = history.faultStarted(record);
    await sleep(fault.forMs);
    await stack.store.unpause().catch(() => undefined);
    return healed();
  }
  if (fault.kind === "store-refuse" || fault.kind === "store-hang") {
    await stack.store.setNetwork(fault.kind === "store-refuse" ? "refuse" : "hang");
    const healed = history.faultStarted(record);
    await sleep(fault.forMs);
    await stack.store.setNetwork("pass");
    return healed();
  }
  if (fault.kind === "store-restart") {
    const healed = history.faultStarted(record);
    await stack.store.restart(fault.forMs);
    return healed();
  }
  if (fault.kind === "store-flushall") {
    const healed = history.faultStarted(record);
    await stack.store.flushAll();
    return healed();
  }
  const index = fault.instance ?? 0;
  const healed = history.faultStarted(record);
  await stack.instances.kill(index);
  await sleep(fault.forMs);
  await stack.instances.restart(index);
  return healed();
}

/**
 * Runs one lane's faults in order; resolves when the last is healed. A fault that cannot be injected or healed is
 * reported through `onError` and the lane goes on.
 * @param {Stack} stack
 * @param {ScheduledFault[]} faults
 * @param {import("./history.mjs").History} history
 * @param {(error: unknown, fault: ScheduledFault) => void} onError
 */
export async function runLane(stack, faults, history, onError) {
  for (const fault of faults) {
    await sleep(Math.max(0, fault.atMs - history.now()));
    try {
      await inject(stack, fault, history);
    } catch (error) {
      onError(error, fault);
    }
  }
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
