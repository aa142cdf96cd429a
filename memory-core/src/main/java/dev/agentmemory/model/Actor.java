package dev.agentmemory.model;

import dev.agentmemory.error.InvalidArgumentException;
import dev.agentmemory.model.internal.IdRules;
import java.util.Objects;

/**
 * Who made a change: a session, an API key, a user or a service account, each with its id.
 *
 * <p>Every version records its actor. Writes through a {@link dev.agentmemory.Session} are always attributed to that
 * session; writes through {@link dev.agentmemory.Workspace#memories} are attributed to the actor the caller names.
 */
public sealed interface Actor permits Actor.SessionActor, Actor.ApiKeyActor, Actor.UserActor, Actor.ServiceAccountActor {

    /** The kind of actor, with the wire name used in exports. */
    enum Type {
        /** An agent session; the id is a {@link SessionId}. */
        SESSION("session_actor"),
        /** An API key of the host application. */
        API_KEY("api_actor"),
        /** A human user of the host application. */
        USER("user_actor"),
        /** A service account of the host application. */
        SERVICE_ACCOUNT("service_account_actor");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        /**
         * Returns the name used for this kind in JSON exports, as in the hosted API.
         *
         * @return for example {@code session_actor}
         */
        public String wireName() {
            return wireName;
        }

        /**
         * Returns the kind with this wire name.
         *
         * @param wireName for example {@code api_actor}
         * @return the kind
         * @throws dev.agentmemory.error.InvalidArgumentException if no kind has that name
         */
        public static Type fromWireName(String wireName) {
            for (Type t : values()) {
                if (t.wireName.equals(wireName)) {
                    return t;
                }
            }
            throw new InvalidArgumentException("actor type", "unknown actor type '" + wireName
                    + "'; expected one of session_actor, api_actor, user_actor, service_account_actor");
        }
    }

    /**
     * Returns the kind of actor.
     *
     * @return the kind
     */
    Type type();

    /**
     * Returns the actor's id as a string (a session id, API key id, user id or service account id).
     *
     * @return the id
     */
    String id();

    /**
     * Returns the actor for a session.
     *
     * @param sessionId the session
     * @return the actor
     */
    static Actor session(SessionId sessionId) {
        return new SessionActor(sessionId);
    }

    /**
     * Returns the actor for an API key of the host application.
     *
     * @param apiKeyId the key's id, for example {@code apikey_01}
     * @return the actor
     */
    static Actor apiKey(String apiKeyId) {
        return new ApiKeyActor(apiKeyId);
    }

    /**
     * Returns the actor for a human user of the host application.
     *
     * @param userId the user's id
     * @return the actor
     */
    static Actor user(String userId) {
        return new UserActor(userId);
    }

    /**
     * Returns the actor for a service account of the host application.
     *
     * @param serviceAccountId the account's id
     * @return the actor
     */
    static Actor serviceAccount(String serviceAccountId) {
        return new ServiceAccountActor(serviceAccountId);
    }

    /**
     * Returns the actor of a kind and id, as read back from an export.
     *
     * @param type the kind
     * @param id the id
     * @return the actor
     */
    static Actor of(Type type, String id) {
        Objects.requireNonNull(type, "type");
        return switch (type) {
            case SESSION -> new SessionActor(SessionId.of(id));
            case API_KEY -> new ApiKeyActor(id);
            case USER -> new UserActor(id);
            case SERVICE_ACCOUNT -> new ServiceAccountActor(id);
        };
    }

    /**
     * An agent session.
     *
     * @param sessionId the session
     */
    record SessionActor(SessionId sessionId) implements Actor {
        /** Checks that the session id is present. */
        public SessionActor {
            Objects.requireNonNull(sessionId, "sessionId");
        }

        @Override
        public Type type() {
            return Type.SESSION;
        }

        @Override
        public String toString() {
            return type().wireName() + ":" + id();
        }

        @Override
        public String id() {
            return sessionId.value();
        }
    }

    /**
     * An API key of the host application.
     *
     * @param apiKeyId the key's id
     */
    record ApiKeyActor(String apiKeyId) implements Actor {
        /** Checks the id's syntax. */
        public ApiKeyActor {
            IdRules.checkExternal(apiKeyId, "API key id");
        }

        @Override
        public Type type() {
            return Type.API_KEY;
        }

        @Override
        public String toString() {
            return type().wireName() + ":" + id();
        }

        @Override
        public String id() {
            return apiKeyId;
        }
    }

    /**
     * A human user of the host application.
     *
     * @param userId the user's id
     */
    record UserActor(String userId) implements Actor {
        /** Checks the id's syntax. */
        public UserActor {
            IdRules.checkExternal(userId, "user id");
        }

        @Override
        public Type type() {
            return Type.USER;
        }

        @Override
        public String toString() {
            return type().wireName() + ":" + id();
        }

        @Override
        public String id() {
            return userId;
        }
    }

    /**
     * A service account of the host application.
     *
     * @param serviceAccountId the account's id
     */
    record ServiceAccountActor(String serviceAccountId) implements Actor {
        /** Checks the id's syntax. */
        public ServiceAccountActor {
            IdRules.checkExternal(serviceAccountId, "service account id");
        }

        @Override
        public Type type() {
            return Type.SERVICE_ACCOUNT;
        }

        @Override
        public String toString() {
            return type().wireName() + ":" + id();
        }

        @Override
        public String id() {
            return serviceAccountId;
        }
    }
}
