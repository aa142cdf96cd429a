/**
 * A session's mounts materialised as a real host directory ({@code <dir>/<slug>/...}) and synchronised back:
 * {@link dev.agentmemory.checkout.Checkout#create}, {@link dev.agentmemory.checkout.Checkout#sync()} and
 * {@link dev.agentmemory.checkout.SyncReport}. See {@code docs/checkout.md}.
 */
package dev.agentmemory.checkout;
