from . import test_referral
from . import test_referral_figures
from . import test_referral_attacks
