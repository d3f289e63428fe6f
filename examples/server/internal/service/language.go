package service

import (
	"context"

	"github.com/beststarts/workforce/scholarship"
)

type languageKey struct{}

// WithLanguage returns ctx carrying the language the caller reads reasons
// in (the HTTP layer's choice from Accept-Language or the page's
// language); services that put reasons into errors write them in it.
func WithLanguage(ctx context.Context, l scholarship.Lang) context.Context {
	return context.WithValue(ctx, languageKey{}, l)
}

// languageOf is the language ctx carries, English when none.
func languageOf(ctx context.Context) scholarship.Lang {
	if l, ok := ctx.Value(languageKey{}).(scholarship.Lang); ok && l != "" {
		return l
	}
	return scholarship.EnglishText
}
