/**
 * The engine behind {@link io.gemforce.sync.DiamondSyncer}. Not an API: these types are public only
 * so the engine's packages can see each other, and may change in any release.
 *
 * <p>The path of the data, one package per step:
 * <pre>
 *   historical/  ranges → ordered logs (several eth_getLogs in flight, one adaptive planner per source)
 *   state/       logs → events → DiamondState → ChangeSet (pure: no I/O)
 *   reorg/       checkpoint against the chain; block hashes kept for the next check
 *   base/        where a run starts: stored state, a loupe snapshot, or the diamond's own logs
 *   reconcile/   derived state against the loupe (batched reads at blocks the node holds)
 *   SyncPipeline the run: validation, the loop, commits, the summary
 * </pre>
 */
package io.gemforce.sync.internal;
