package org

import "context"

// Store is what organisations need from storage. Organisations are public
// records of the region: they are not personal data, so reads take no scope,
// but writes check the caller's right in the service.
type Store interface {
	CreateOrganisation(ctx context.Context, o *Organisation) error
	UpdateOrganisation(ctx context.Context, o *Organisation) error
	Organisation(ctx context.Context, id int64) (Organisation, error)
	Organisations(ctx context.Context, f Filter) ([]Organisation, int, error)
}
