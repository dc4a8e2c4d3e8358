package main

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserDesktopWidth: on a 1366-pixel screen, the common width of an
// office computer, no staff page is wider than the window: tables scroll in
// their own box, charts and forms fit.
func TestBrowserDesktopWidth(t *testing.T) {
	ctx := browser(t)
	srv, _, _ := demoServer(t)
	do(t, ctx, chromedp.EmulateViewport(1366, 800))
	pages := map[string][]string{
		"region":   {"/", "/monitoring", "/monitoring/measures", "/balance", "/routing", "/risk", "/measures", "/services", "/targeted", "/guidance/coverage", "/employment", "/clusters", "/mentorship", "/vacancies", "/organisations", "/learners", "/audit"},
		"czn":      {"/", "/risk/cases", "/services", "/referrals", "/measures", "/balance", "/monitoring"},
		"employer": {"/", "/targeted", "/targeted/offers/new", "/vacancies", "/balance", "/monitoring"},
		"college":  {"/", "/learners", "/employment", "/mentorship", "/risk", "/monitoring", "/targeted/applications"},
		"school":   {"/", "/guidance", "/guidance/pupils", "/monitoring", "/services"},
	}
	for _, who := range []string{"region", "czn", "employer", "college", "school"} {
		do(t, ctx, login(srv.URL, who))
		for _, path := range pages[who] {
			do(t, ctx, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(css(`main`)))
			width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if err != nil {
				t.Fatalf("%s %s: %v", who, path, err)
			}
			if width > 1366 {
				t.Errorf("%s %s: the page is %d px wide on a 1366-pixel screen", who, path, width)
			}
		}
		do(t, ctx, logout())
	}
}
