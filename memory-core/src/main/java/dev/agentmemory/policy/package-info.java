/**
 * Write policies: decisions about a write before it is stored.
 *
 * <p>A {@link dev.agentmemory.policy.WritePolicy} looks at a {@link dev.agentmemory.policy.WriteRequest} (the store
 * and its metadata, the path, the new content, the actor and the kind of write) and returns a
 * {@link dev.agentmemory.policy.Verdict}: allow; redact (matched spans replaced by {@code [REDACTED:<rule>]}, the
 * version to say so); quarantine (stored where only operators see it); or block (nothing stored; the write fails
 * with {@link dev.agentmemory.error.WriteBlockedException}, naming the policy and the rule). A
 * {@link dev.agentmemory.policy.WritePolicyChain} combines policies with the precedence block &gt; quarantine &gt;
 * redact &gt; allow.
 *
 * <p>Built in:
 *
 * <ul>
 *   <li>{@link dev.agentmemory.policy.SecretScanner}: credentials (cloud keys, service tokens, private keys,
 *       passwords in connection strings, high-entropy secret assignments), from a rules file that cites its sources.
 *   <li>{@link dev.agentmemory.policy.InjectionDetector}: text aimed at the model that will read the memory, and
 *       hidden Unicode.
 *   <li>{@link dev.agentmemory.policy.SessionQuota}: bytes, writes and writes to one path per session per window.
 *   <li>{@link dev.agentmemory.policy.ReferenceStorePolicy}: stores marked as reference material are read-only for
 *       sessions.
 * </ul>
 *
 * <p>Policies do no I/O: everything they decide from is in the request (or, for the quota, in counters kept in
 * memory), so they are tested with tables of requests and verdicts. Every type here is immutable or thread-safe, as
 * its documentation says.
 */
package dev.agentmemory.policy;
