"""Partner layers: corporation holdings, planned projects and planned sales.

- :mod:`~layers.partners.schema`: the one definition of sheets, columns and allowed values;
- :mod:`~layers.partners.template`: the uniform Excel delivery (empty and filled);
- :mod:`~layers.partners.validate`: :func:`read_delivery`, whole-file validation;
- :mod:`~layers.partners.sales_check`: agreement 4.1 on sales;
- :mod:`~layers.partners.synthetic`: seeded synthetic deliveries from the real buurten;
- :mod:`~layers.partners.raster`: zonal statistics of a GeoTIFF per buurt.
"""
