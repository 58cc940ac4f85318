from . import test_customer_review
from . import test_customer_review_action
from . import test_customer_review_tour
from . import test_review_invariants
from . import test_revenue_cross_screen
from . import test_figures_cross_screen
