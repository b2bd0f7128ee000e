"""Sheet metal: bend arithmetic (:mod:`.bending`), the flat pattern from the model (:mod:`.flat`),
its DXF (:mod:`.dxf`).  The checks are :mod:`techpack.checks.sheetmetal`; the unfolding itself runs in
the geometry worker (:mod:`techpack.geometry.unfold`)."""
