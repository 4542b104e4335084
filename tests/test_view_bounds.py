"""Map views: the region's box and a selection's box, both in Leaflet's [[south, west], [north, east]]."""

import geopandas as gpd
from shapely.geometry import LineString, Point

from geo.gazetteer import load_gazetteer
from layers.maps import region_bounds
from layers.planmap import selection_bounds

REGION = [[26.0, 97.0], [34.0, 110.0]]  # margin 5 %: 0.65° east–west, 0.4° north–south


def test_the_region_box_is_south_west_then_north_east():
    (south, west), (north, east) = region_bounds()
    x0, y0, x1, y1 = load_gazetteer().boundaries("province").total_bounds
    assert (south, west, north, east) == (round(y0, 3), round(x0, 3), round(y1, 3), round(x1, 3))
    assert 26 < south < north < 35 and 97 < west < east < 111  # Sichuan and Chongqing, not swapped


def test_a_selection_reaching_far_outside_is_cut_to_the_region_and_its_margin():
    # A corridor to Zhengzhou and a point in Tibet: the view stays on the region.
    corridor = gpd.GeoDataFrame(geometry=[LineString([(104.0, 30.6), (113.6, 34.7)]), Point(94.4, 29.6)])
    # The line leaves the margin at x = 110.65, where it has climbed to 30.6 + 6.65 × 4.1 / 9.6.
    assert selection_bounds(corridor, REGION) == [[30.6, 104.0], [33.4401, 110.65]]


def test_a_selection_inside_keeps_its_own_box_and_one_outside_is_not_cut_away():
    inside = gpd.GeoDataFrame(geometry=[Point(104.0, 30.6), Point(106.5, 29.5)])
    assert selection_bounds(inside, REGION) == [[29.5, 104.0], [30.6, 106.5]]
    outside = gpd.GeoDataFrame(geometry=[Point(120.0, 40.0)])
    assert selection_bounds(outside, REGION) == [[40.0, 120.0], [40.0, 120.0]]
    assert selection_bounds(gpd.GeoDataFrame(geometry=[]), REGION) is None
