//! Filters applied before any analysis: date range, platform/shop, category, product.
