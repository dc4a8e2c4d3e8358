package auth

import "context"

type ctxKey struct{}

type caller struct {
	user  User
	scope Scope
}

// WithCaller returns a context that carries the authenticated user and scope.
func WithCaller(ctx context.Context, u User, sc Scope) context.Context {
	return context.WithValue(ctx, ctxKey{}, caller{u, sc})
}

// Caller returns the authenticated user and scope of the request, if any.
func Caller(ctx context.Context) (User, Scope, bool) {
	c, ok := ctx.Value(ctxKey{}).(caller)
	return c.user, c.scope, ok
}

type sessionKey struct{}

// WithSession returns a context that carries the browser session of the request.
func WithSession(ctx context.Context, s Session) context.Context {
	return context.WithValue(ctx, sessionKey{}, s)
}

// SessionFrom returns the browser session of the request, if any.
func SessionFrom(ctx context.Context) (Session, bool) {
	s, ok := ctx.Value(sessionKey{}).(Session)
	return s, ok
}

type ownWritesKey struct{}

// WithOwnWrites marks ctx as a request that writes, or of a user who wrote a
// moment ago: the store serves its reads from the primary database, never
// from a replica that may not have replayed the write yet.
func WithOwnWrites(ctx context.Context) context.Context {
	return context.WithValue(ctx, ownWritesKey{}, true)
}

// OwnWrites reports whether ctx was marked by WithOwnWrites.
func OwnWrites(ctx context.Context) bool {
	on, _ := ctx.Value(ownWritesKey{}).(bool)
	return on
}
