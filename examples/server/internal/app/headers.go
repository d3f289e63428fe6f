package app

import "github.com/labstack/echo/v4"

// noStore marks every response "Cache-Control: no-store": API responses
// carry personal data (names, demographics, decisions, rosters), and
// errors may name records, so no browser, proxy or gateway cache may keep
// any of them. It is set before the handler runs, so error responses carry
// it too.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		return next(c)
	}
}
