package dev.agentmemory.policy;

import dev.agentmemory.model.Actor;
import dev.agentmemory.model.SessionId;
import dev.agentmemory.model.StoreId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Requests and a settable clock for the policy tests. */
final class Requests {

    static final StoreId STORE = StoreId.of("memstore_01policytests");
    static final Actor SESSION = Actor.session(SessionId.of("sesn_01policytests"));
    static final Actor OTHER_SESSION = Actor.session(SessionId.of("sesn_02policytests"));
    static final Actor OPERATOR = Actor.user("user_ops");

    private Requests() {
    }

    static WriteRequest create(String content) {
        return WriteRequest.create(STORE, Map.of(), "/notes/a.md", content, SESSION);
    }

    static WriteRequest create(Actor actor, String path, String content) {
        return WriteRequest.create(STORE, Map.of(), path, content, actor);
    }

    /** A clock that stands still until moved. Thread-safe. */
    static final class SettableClock extends Clock {
        private final AtomicLong millis = new AtomicLong(Instant.parse("2026-12-03T10:00:00Z").toEpochMilli());

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }
}
