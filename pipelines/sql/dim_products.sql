-- Step dim_products of pipeline shop_marts: the product dimension, one row per catalogue
-- product, with a price band that merchandising uses to group products in reports.
select
  product_id,
  sku,
  product_name,
  category,
  brand,
  list_price,
  case
    when list_price < 30 then 'budget'
    when list_price < 100 then 'standard'
    else 'premium'
  end as price_band,
  is_active
from {{ ref('staging.products') }}
