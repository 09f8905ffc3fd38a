// The pod sandbox ("pause") program of dev/cluster's nodes, built by dev/images: no registry
// here serves a pause image, so the project builds its own.
module namidb.io/dev/pause

go 1.24
